/**
 * The two stores of the collection's Tutorial 1 as Orion returns them with `options=keyValues`:
 * what the tests expect back after the collection created them.
 */
export const STORE_1_KV = {
  id: 'urn:ngsi-ld:Store:001',
  type: 'Store',
  address: { streetAddress: 'Avenida Maria Servidei Demarchi, 398', addressRegion: 'São Paulo', addressLocality: 'São Bernardo do Campo', postalCode: '09820-000' },
  // The collection sends [-46.55250126146248, -23.726831522796758]; Orion renders 9 decimals (docs/compatibility/ngsi-v2.md §1.4, §8).
  location: { type: 'Point', coordinates: [-46.552501261, -23.726831523] },
  name: 'Carrefour'
}

export const STORE_2_KV = {
  id: 'urn:ngsi-ld:Store:002',
  type: 'Store',
  address: { streetAddress: 'Avenida Humberto de Alencar Castelo Branco, 3100', addressRegion: 'São Paulo', addressLocality: 'São Bernardo do Campo', postalCode: '09851-070' },
  location: { type: 'Point', coordinates: [-46.584579033, -23.716240476] },
  name: 'Bem Barato'
}
