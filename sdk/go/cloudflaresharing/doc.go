// Cloudflare Resource Sharing (shares, recipients, shared resources) that waits until the API has settled.
package cloudflaresharing
