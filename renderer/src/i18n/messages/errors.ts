import { defineMessages } from '../define'

export const errors = defineMessages({
  'err.DUPLICATE_GROUP': {
    en: 'A service group with this API key and resource already exists here.',
    'pt-BR': 'Já existe aqui um grupo de serviço com esta chave de API e este recurso.'
  },
  'err.DUPLICATE_DEVICE_ID': {
    en: 'A device with this id already exists in this service and service path.',
    'pt-BR': 'Já existe um dispositivo com este id neste serviço e caminho de serviço.'
  },
  'err.DEVICE_NOT_FOUND': {
    en: 'The device does not exist (any more) in this service and service path.',
    'pt-BR': 'O dispositivo não existe (mais) neste serviço e caminho de serviço.'
  },
  'err.DEVICE_GROUP_NOT_FOUND': {
    en: 'The service group does not exist (any more) in this service and service path.',
    'pt-BR': 'O grupo de serviço não existe (mais) neste serviço e caminho de serviço.'
  },
  'err.MISSING_ATTRIBUTES': { en: 'The device id is missing.', 'pt-BR': 'Falta o id do dispositivo.' },
  'err.MISSING_CONFIG_PARAMS': {
    en: 'Something required is missing: {message}',
    'pt-BR': 'Falta algo obrigatório: {message}'
  },
  'err.WRONG_SYNTAX': {
    en: 'The IoT Agent did not accept the data: {message}',
    'pt-BR': 'O Agente IoT não aceitou os dados: {message}'
  },
  'err.BAD_REQUEST': { en: 'The request was refused: {message}', 'pt-BR': 'O pedido foi recusado: {message}' },
  'err.NotFound': { en: 'Not found: {message}', 'pt-BR': 'Não encontrado: {message}' },
  'err.NO_ENGINE': { en: 'There is no connection to the engine.', 'pt-BR': 'Não há conexão com o motor.' },
  'err.NOT_IMPLEMENTED': {
    en: 'This version of the engine cannot do this yet ({message}).',
    'pt-BR': 'Esta versão do motor ainda não faz isto ({message}).'
  },
  'err.FORBIDDEN': { en: 'The engine refused the request: {message}', 'pt-BR': 'O motor recusou o pedido: {message}' },
  'err.generic': { en: '{message} ({name})', 'pt-BR': '{message} ({name})' }
})
