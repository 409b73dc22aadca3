// Rows that scroll sideways on a small screen (the back-office menu, wide tables) fade at
// an edge beyond which there is more, so nobody misses the columns off-screen. The
// menu also brings the current section into view.
(function () {
  function cue(box) {
    function edges() {
      box.classList.toggle("more-left", box.scrollLeft > 4);
      box.classList.toggle("more-right", box.scrollLeft + box.clientWidth < box.scrollWidth - 4);
    }
    box.addEventListener("scroll", edges, { passive: true });
    window.addEventListener("resize", edges);
    edges();
  }
  var nav = document.querySelector(".subnav");
  if (nav) {
    var active = nav.querySelector("a.active");
    if (active && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = active.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
    }
    cue(nav);
  }
  document.querySelectorAll(".table-wrap").forEach(cue);
})();
