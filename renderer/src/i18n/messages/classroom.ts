import { defineMessages } from '../define'

/** Classroom mode: the trainee's join page and badge, the trainer's view of the class. */
export const classroom = defineMessages({
  'nav.classroom': { en: 'Classroom', 'pt-BR': 'Turma' },

  'join.title': { en: 'Classroom', 'pt-BR': 'Turma' },
  'join.intro': {
    en: "Your trainer's computer runs the FIWARE stack for the whole class. Type your name: you get a tenant of your own, with your own lessons and progress.",
    'pt-BR': 'O computador do instrutor roda a pilha FIWARE para toda a turma. Digite seu nome: você recebe um tenant só seu, com suas próprias lições e seu próprio progresso.'
  },
  'join.name': { en: 'Your name', 'pt-BR': 'Seu nome' },
  'join.nameHint': {
    en: 'From 1 to {max} characters. The trainer sees it next to your progress.',
    'pt-BR': 'De 1 a {max} caracteres. O instrutor o vê ao lado do seu progresso.'
  },
  'join.submit': { en: 'Join the class', 'pt-BR': 'Entrar na turma' },
  'join.joining': { en: 'Joining the class…', 'pt-BR': 'Entrando na turma…' },
  'join.badName': { en: 'Type a name of 1 to {max} characters.', 'pt-BR': 'Digite um nome de 1 a {max} caracteres.' },
  'join.err.BAD_REQUEST': {
    en: "The trainer's computer did not accept this name ({message}). Check it and try again.",
    'pt-BR': 'O computador do instrutor não aceitou este nome ({message}). Confira e tente de novo.'
  },
  'join.err.WRONG_CODE': {
    en: 'This class address is not valid (any more). Ask the trainer for the current address.',
    'pt-BR': 'Este endereço da turma não vale (mais). Peça ao instrutor o endereço atual.'
  },
  'join.err.NAME_TAKEN': {
    en: 'Someone in the class already uses this name. Choose another one, with your surname for example.',
    'pt-BR': 'Alguém da turma já usa este nome. Escolha outro, com o seu sobrenome, por exemplo.'
  },
  'join.err.CLASSROOM_FULL': {
    en: 'The class is full: nobody else can join. Talk to the trainer.',
    'pt-BR': 'A turma está cheia: mais ninguém pode entrar. Fale com o instrutor.'
  },
  'join.err.NO_CLASSROOM': {
    en: 'No class is open on this computer (it was started without classroom mode). Talk to the trainer.',
    'pt-BR': 'Não há turma aberta neste computador (ele foi iniciado sem o modo turma). Fale com o instrutor.'
  },
  'join.err.NETWORK': {
    en: "The trainer's computer cannot be reached. Check the network and try again.",
    'pt-BR': 'Não foi possível falar com o computador do instrutor. Verifique a rede e tente de novo.'
  },
  'join.err.BAD_ANSWER': {
    en: "The trainer's computer gave an unexpected answer ({message}).",
    'pt-BR': 'O computador do instrutor deu uma resposta inesperada ({message}).'
  },
  'join.forgotten': {
    en: "The trainer's class no longer knows the name {name} (the class was probably started again). Join again.",
    'pt-BR': 'A turma do instrutor não conhece mais o nome {name} (provavelmente a turma foi reiniciada). Entre de novo.'
  },
  'join.noCode': {
    en: 'This page has no class code. Open the address your trainer gave you (it ends with ?join= and a code).',
    'pt-BR': 'Esta página não tem o código da turma. Abra o endereço que o instrutor passou (ele termina com ?join= e um código).'
  },

  'class.badgeLabel': { en: 'You in the class', 'pt-BR': 'Você na turma' },
  'class.badge': {
    en: 'Class: {name} · tenant {service} · API key {apikey}',
    'pt-BR': 'Turma: {name} · tenant {service} · API key {apikey}'
  },
  'class.badgeHint': {
    en: 'Use this tenant in the fiware-service header and this API key in the UltraLight topics.',
    'pt-BR': 'Use este tenant no cabeçalho fiware-service e esta API key nos tópicos UltraLight.'
  },
  'class.groupHint': {
    en: "A service group tells the IoT Agent which API key its devices use. In the class your key is {apikey} (instead of the tutorial's), with the entity type Device.",
    'pt-BR': 'Um grupo de serviço diz ao Agente IoT qual chave de API seus dispositivos usam. Na turma, a sua chave é {apikey} (em vez da do tutorial), com o tipo de entidade Device.'
  },
  'class.scopeLocked': {
    en: 'Your tenant in the class: it cannot be changed.',
    'pt-BR': 'Seu tenant na turma: ele não pode ser trocado.'
  },

  'class.intro': {
    en: 'Each trainee opens one of these addresses (the one of the network they share with you), types a name and gets a tenant of their own. The table follows their lessons live.',
    'pt-BR': 'Cada aluno abre um destes endereços (o da rede que ele compartilha com você), digita um nome e recebe um tenant só seu. A tabela acompanha as lições ao vivo.'
  },
  'class.traineeUrl': { en: 'Addresses for the trainees', 'pt-BR': 'Endereços para os alunos' },
  'class.copyUrl': { en: 'Copy the address {url} for the trainees', 'pt-BR': 'Copiar o endereço {url} para os alunos' },
  'class.joinCode': { en: 'Join code', 'pt-BR': 'Código da turma' },
  'class.joined': { en: '{n} trainee joined | {n} trainees joined', 'pt-BR': '{n} aluno entrou | {n} alunos entraram' },
  'class.empty': {
    en: 'Nobody joined yet. Give the trainees this address: {url}',
    'pt-BR': 'Ninguém entrou ainda. Passe este endereço aos alunos: {url}'
  },
  'class.caption': { en: 'Class progress', 'pt-BR': 'Progresso da turma' },
  'class.showLesson': { en: 'Lesson shown', 'pt-BR': 'Lição exibida' },
  'class.allLessons': { en: 'All lessons', 'pt-BR': 'Todas as lições' },
  'class.scrollRegion': {
    en: 'Class progress table (scrolls sideways)',
    'pt-BR': 'Tabela do progresso da turma (rola para o lado)'
  },
  'class.col.trainee': { en: 'Trainee', 'pt-BR': 'Aluno' },
  'class.col.tenant': { en: 'Tenant', 'pt-BR': 'Tenant' },
  'class.col.connection': { en: 'Connection', 'pt-BR': 'Conexão' },
  'class.col.done': { en: 'Steps done', 'pt-BR': 'Passos feitos' },
  'class.col.problem': { en: 'Last problem', 'pt-BR': 'Último problema' },
  'class.col.steps': { en: 'Steps of the lessons', 'pt-BR': 'Passos das lições' },
  'class.stepNumber': { en: 'Step {n} of {lesson}', 'pt-BR': 'Passo {n} de {lesson}' },
  'class.connected': { en: 'connected', 'pt-BR': 'conectado' },
  'class.seenAgo': { en: 'offline, seen {ago} ago', 'pt-BR': 'desconectado, visto há {ago}' },
  'class.doneOf': { en: '{done} of {total}', 'pt-BR': '{done} de {total}' },
  'class.stepDone': { en: 'done', 'pt-BR': 'feito' },
  'class.stepTodo': { en: 'to do', 'pt-BR': 'a fazer' },
  'class.problemWhere': { en: '{lesson}, step {n}', 'pt-BR': '{lesson}, passo {n}' },
  'class.noProblem': { en: 'none', 'pt-BR': 'nenhum' },
  'class.gridError': {
    en: 'The class progress cannot be loaded: {message}',
    'pt-BR': 'Não foi possível carregar o progresso da turma: {message}'
  }
})
