/** The API's origin; empty when the SPA and the API share one origin (the default). */
export const apiUrl: string = import.meta.env.VITE_API_URL ?? ''

/** Where links in emails and OAuth redirects should bring the user back to: this SPA. */
export function appUrl(path: string): string {
  return new URL(path, window.location.origin).toString()
}
