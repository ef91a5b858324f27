import { defineMessages } from '../define'

/** The settings page's section for the embedded broker's users and ACL (MqttUsersSettings.vue). */
export const mqttUsers = defineMessages({
  'mqttUsers.title': { en: 'MQTT users and ACL (built-in broker)', 'pt-BR': 'Usuários e ACL do MQTT (broker embutido)' },
  'mqttUsers.intro': {
    en: 'Kept in Mosquitto’s own password and ACL files: the broker reads each change at once, without a restart.',
    'pt-BR': 'Guardados nos próprios arquivos de senhas e de ACL do Mosquitto: o broker lê cada mudança na hora, sem reiniciar.'
  },
  'mqttUsers.external': {
    en: 'The MQTT broker is external: manage its users and ACL where it runs.',
    'pt-BR': 'O broker MQTT é externo: gerencie os usuários e a ACL dele onde ele roda.'
  },
  'mqttUsers.statusTitle': { en: 'What the broker applies now', 'pt-BR': 'O que o broker aplica agora' },
  'mqttUsers.noStatus': { en: 'The broker has not reported its state yet.', 'pt-BR': 'O broker ainda não informou seu estado.' },
  'mqttUsers.anonymous': { en: 'Clients without user name', 'pt-BR': 'Clientes sem usuário' },
  'mqttUsers.anonymousYes': { en: 'allowed', 'pt-BR': 'permitidos' },
  'mqttUsers.anonymousNo': { en: 'refused', 'pt-BR': 'recusados' },
  'mqttUsers.passwordFile': { en: 'Password file', 'pt-BR': 'Arquivo de senhas' },
  'mqttUsers.aclFile': { en: 'ACL file', 'pt-BR': 'Arquivo de ACL' },
  'mqttUsers.noFile': { en: 'none', 'pt-BR': 'nenhum' },
  'mqttUsers.noAcl': { en: 'none: every client that connects may publish and subscribe to anything', 'pt-BR': 'nenhum: todo cliente conectado pode publicar e assinar qualquer tópico' },
  'mqttUsers.lastReload': { en: 'Last read again', 'pt-BR': 'Última releitura' },
  'mqttUsers.never': { en: 'not since the start', 'pt-BR': 'nenhuma desde o início' },
  'mqttUsers.refused': { en: 'Refused connections', 'pt-BR': 'Conexões recusadas' },
  'mqttUsers.reason.anonymous': { en: 'no user name', 'pt-BR': 'sem usuário' },
  'mqttUsers.reason.unknownUser': { en: 'unknown user', 'pt-BR': 'usuário desconhecido' },
  'mqttUsers.reason.badPassword': { en: 'wrong or missing password', 'pt-BR': 'senha errada ou ausente' },
  'mqttUsers.reason.noPasswordFile': { en: 'no password file', 'pt-BR': 'sem arquivo de senhas' },
  'mqttUsers.denied': { en: 'Blocked by the ACL', 'pt-BR': 'Bloqueadas pela ACL' },
  'mqttUsers.deniedCounts': { en: '{publish} publications, {deliver} deliveries', 'pt-BR': '{publish} publicações, {deliver} entregas' },
  'mqttUsers.restartRequired': {
    en: 'A new file was created and its path saved: the broker uses it after the engine restarts (Restart now, above).',
    'pt-BR': 'Um arquivo novo foi criado e o caminho dele foi salvo: o broker passa a usá-lo depois que o motor reiniciar (Reiniciar agora, acima).'
  },
  'mqttUsers.users': { en: 'Users', 'pt-BR': 'Usuários' },
  'mqttUsers.savedIn': { en: 'Saved in', 'pt-BR': 'Salvo em' },
  'mqttUsers.firstUserCreates': {
    en: 'No password file yet: the first user creates one in the data folder. From then on, clients without user name are refused (as Mosquitto 2 does).',
    'pt-BR': 'Ainda não há arquivo de senhas: o primeiro usuário cria um na pasta de dados. A partir daí, clientes sem usuário são recusados (como faz o Mosquitto 2).'
  },
  'mqttUsers.noUsers': { en: 'No users.', 'pt-BR': 'Nenhum usuário.' },
  'mqttUsers.changePassword': { en: 'Change password', 'pt-BR': 'Trocar senha' },
  'mqttUsers.changePasswordOf': { en: 'Change the password of {name}', 'pt-BR': 'Trocar a senha de {name}' },
  'mqttUsers.deleteUser': { en: 'Delete user {name}', 'pt-BR': 'Excluir o usuário {name}' },
  'mqttUsers.addUser': { en: 'Add user', 'pt-BR': 'Adicionar usuário' },
  'mqttUsers.username': { en: 'User name', 'pt-BR': 'Nome de usuário' },
  'mqttUsers.password': { en: 'Password', 'pt-BR': 'Senha' },
  'mqttUsers.newPassword': { en: 'New password', 'pt-BR': 'Nova senha' },
  'mqttUsers.setPassword': { en: 'Set password', 'pt-BR': 'Definir senha' },
  'mqttUsers.added': { en: 'User {name} added.', 'pt-BR': 'Usuário {name} adicionado.' },
  'mqttUsers.passwordChanged': { en: 'Password of {name} changed.', 'pt-BR': 'Senha de {name} trocada.' },
  'mqttUsers.deleted': { en: 'User {name} deleted.', 'pt-BR': 'Usuário {name} excluído.' },
  'mqttUsers.deleteTitle': { en: 'Delete MQTT user', 'pt-BR': 'Excluir usuário MQTT' },
  'mqttUsers.deleteMessage': {
    en: 'Delete {name}? Devices that connect with this user will be refused.',
    'pt-BR': 'Excluir {name}? Dispositivos que se conectam com esse usuário serão recusados.'
  },
  'mqttUsers.problem.colon': { en: 'A user name cannot contain ":".', 'pt-BR': 'O nome de usuário não pode conter ":".' },
  'mqttUsers.problem.control': { en: 'A user name cannot contain line breaks or control characters.', 'pt-BR': 'O nome de usuário não pode conter quebras de linha nem caracteres de controle.' },
  'mqttUsers.problem.spaces': { en: 'A user name cannot start or end with a space.', 'pt-BR': 'O nome de usuário não pode começar nem terminar com espaço.' },
  'mqttUsers.problem.hash': { en: 'A user name cannot start with "#" (the line would be a comment).', 'pt-BR': 'O nome de usuário não pode começar com "#" (a linha viraria um comentário).' },
  'mqttUsers.acl': { en: 'Access control list (ACL)', 'pt-BR': 'Lista de controle de acesso (ACL)' },
  'mqttUsers.aclLabel': { en: 'ACL lines, in Mosquitto’s format', 'pt-BR': 'Linhas da ACL, no formato do Mosquitto' },
  'mqttUsers.aclHint': {
    en: 'One rule a line: "user name", then "topic access topic" (access: read, write, readwrite or deny); "pattern" lines apply to everyone, with %u and %c.',
    'pt-BR': 'Uma regra por linha: "user nome", depois "topic acesso tópico" (acesso: read, write, readwrite ou deny); linhas "pattern" valem para todos, com %u e %c.'
  },
  'mqttUsers.line': { en: 'Line {n}', 'pt-BR': 'Linha {n}' },
  'mqttUsers.saveAcl': { en: 'Save ACL', 'pt-BR': 'Salvar ACL' },
  'mqttUsers.aclSaved': { en: 'ACL saved.', 'pt-BR': 'ACL salva.' }
})
