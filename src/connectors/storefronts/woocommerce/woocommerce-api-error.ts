/** A refusal from the WooCommerce REST API, with its error code (`woocommerce_rest_...`) when it sent one. */
export class WooCommerceApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`WooCommerce answered ${status} ${code}: ${message}`);
    this.name = 'WooCommerceApiError';
  }
}
