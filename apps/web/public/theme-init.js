// Applies the saved theme before the first paint, so dark-mode users never see a white flash.
// A file rather than an inline script keeps a strict Content-Security-Policy possible.
;(() => {
  try {
    const saved = localStorage.getItem('tandem.theme')
    const dark =
      saved === 'dark' ||
      (saved !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches)
    document.documentElement.classList.toggle('dark', dark)
  } catch {}
})()
