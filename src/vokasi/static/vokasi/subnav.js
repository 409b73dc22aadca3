// On a phone the back-office menu is one row that scrolls sideways: bring the current
// section into view, and tell the CSS when more items lie beyond either edge.
(function () {
  var nav = document.querySelector(".subnav");
  if (!nav) return;
  var active = nav.querySelector("a.active");
  if (active && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = active.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
  }
  function edges() {
    nav.classList.toggle("more-left", nav.scrollLeft > 4);
    nav.classList.toggle("more-right", nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 4);
  }
  nav.addEventListener("scroll", edges, { passive: true });
  window.addEventListener("resize", edges);
  edges();
})();
