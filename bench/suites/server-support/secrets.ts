export const PUBLISH_SECRET = 'bench-publish-secret-0123456789'
export const TOKEN_SECRET = 'bench-token-secret-0123456789-0123456789'
