() => {
  // A [n] in an answer opens its passage in the Kilder panel. The click also selects the message, so the panel
  // shows that answer's own sources; then the passage is scrolled into view, focused and briefly outlined.
  // The default action (Gradio opens chat links in a new tab) is always prevented.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#udb-src-"]');
    if (!link) return;
    event.preventDefault();
    const id = link.getAttribute("href").slice(1);
    let tries = 0;
    const open = () => {
      const target = document.getElementById(id);
      if (!target) {
        if (++tries < 40) setTimeout(open, 100);
        return;
      }
      target.scrollIntoView({behavior: "smooth", block: "center"});
      target.focus({preventScroll: true});
      target.classList.add("udb-target");
      setTimeout(() => target.classList.remove("udb-target"), 2500);
    };
    open();
  }, true);
}
