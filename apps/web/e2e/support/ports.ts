/** Ports of the e2e run (the web engineer's range is 18300-18399). */
export const SERVER_PORT = 18350
export const SMTP_PORT = 18325
export const MAILBOX_PORT = 18326
export const PREVIEW_PORT = 18310
export const MAILBOX_URL = `http://127.0.0.1:${MAILBOX_PORT}`

/** The split-deploy run and the time-to-interactive benchmark (range 18700-18799). */
export const SPLIT_API_PORT = 18720
export const SPLIT_WEB_PORT = 18721
export const TTI_SERVER_PORT = 18710
