import pkg from '../../package.json'

/** Version of this product (package.json). */
export const PRODUCT_VERSION: string = pkg.version
export const PRODUCT_NAME: string = pkg.productName
