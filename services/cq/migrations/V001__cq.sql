-- CQ: the materials it knows (from material.cadastrado), versioned specifications, the lots
-- it has seen with their quality status, samples, results, laudos, deviations, recalls and
-- returns awaiting evaluation.

CREATE TABLE materiais (
  codigo                           text PRIMARY KEY,
  nome                             text NOT NULL,
  tipo                             text NOT NULL,
  unidade                          text NOT NULL,
  prazo_validade_dias              integer NOT NULL,
  vida_util_minima_expedicao_dias  integer NOT NULL,
  atualizado_em                    timestamptz NOT NULL DEFAULT now()
);

-- Each PUT makes a new version; versions are never changed.
CREATE TABLE especificacoes (
  material    text NOT NULL,
  versao      integer NOT NULL CHECK (versao > 0),
  ensaios     jsonb NOT NULL,
  criado_por  text NOT NULL,
  criado_em   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (material, versao)
);

-- The lots CQ knows, with their quality status.
CREATE TABLE lotes (
  id           uuid PRIMARY KEY,
  codigo       text NOT NULL,
  material     text NOT NULL,
  quantidade   numeric(18, 3) NOT NULL,
  unidade      text NOT NULL,
  validade     date NOT NULL,
  data_fabricacao date,
  origem       text NOT NULL CHECK (origem IN ('producao', 'recebimento')),
  op_id        uuid,
  fornecedor   text,
  lote_fornecedor text,
  status       text NOT NULL CHECK (status IN ('quarentena', 'liberado', 'reprovado', 'recolhido')),
  recebido_em  timestamptz NOT NULL DEFAULT now(),
  versao       integer NOT NULL DEFAULT 1
);
CREATE INDEX lotes_op ON lotes (op_id);

-- Exactly one sample per lot, whatever the redeliveries of lote.criado.
CREATE TABLE amostras (
  id                   uuid PRIMARY KEY,
  codigo               text NOT NULL UNIQUE,
  lote_id              uuid NOT NULL UNIQUE REFERENCES lotes (id),
  status               text NOT NULL CHECK (status IN ('aguardando_coleta', 'coletada', 'em_analise', 'concluida')),
  especificacao_versao integer,
  coleta_quantidade    numeric(18, 3),
  coleta_observacao    text,
  coletada_por         text,
  coletada_em          timestamptz,
  criado_em            timestamptz NOT NULL DEFAULT now(),
  versao               integer NOT NULL DEFAULT 1
);
CREATE SEQUENCE amostra_seq;
CREATE INDEX amostras_status ON amostras (status, id);

-- Results are never overwritten: a correction is a new row with a motivo, and the latest row
-- of each ensaio is the current one.
CREATE TABLE resultados (
  id               uuid PRIMARY KEY,
  amostra_id       uuid NOT NULL REFERENCES amostras (id),
  ensaio           text NOT NULL,
  valor_numerico   numeric(18, 3),
  valor_texto      text,
  conforme         boolean NOT NULL,
  motivo           text,
  registrado_por_sub      text NOT NULL,
  registrado_por_username text NOT NULL,
  registrado_por_nome     text NOT NULL,
  registrado_em    timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((valor_numerico IS NULL) <> (valor_texto IS NULL))
);
CREATE INDEX resultados_amostra ON resultados (amostra_id, ensaio, registrado_em);

CREATE TABLE laudos (
  id               uuid PRIMARY KEY,
  amostra_id       uuid NOT NULL UNIQUE REFERENCES amostras (id),
  lote_id          uuid NOT NULL REFERENCES lotes (id),
  decisao          text NOT NULL CHECK (decisao IN ('aprovado', 'reprovado')),
  observacao       text,
  motivo           text,
  emitido_por_sub      text NOT NULL,
  emitido_por_username text NOT NULL,
  emitido_por_nome     text NOT NULL,
  emitido_em       timestamptz NOT NULL DEFAULT now(),
  assinatura       jsonb NOT NULL
);
CREATE INDEX laudos_lote ON laudos (lote_id);

CREATE SEQUENCE desvio_seq;
CREATE TABLE desvios (
  id              uuid PRIMARY KEY,
  codigo          text NOT NULL UNIQUE,
  op_id           uuid NOT NULL,
  lote_id         uuid,
  classificacao   text NOT NULL CHECK (classificacao IN ('menor', 'maior', 'critico')),
  descricao       text NOT NULL,
  status          text NOT NULL CHECK (status IN ('aberto', 'encerrado')),
  aberto_por      text NOT NULL,
  aberto_em       timestamptz NOT NULL DEFAULT now(),
  conclusao       text,
  acao_corretiva  text,
  encerrado_por   text,
  encerrado_em    timestamptz,
  assinatura      jsonb,
  versao          integer NOT NULL DEFAULT 1
);
CREATE INDEX desvios_op ON desvios (op_id) WHERE status = 'aberto';
CREATE INDEX desvios_lote ON desvios (lote_id) WHERE status = 'aberto';
CREATE INDEX desvios_status ON desvios (status, id);

CREATE TABLE recolhimentos (
  id          uuid PRIMARY KEY,
  lote_id     uuid NOT NULL UNIQUE REFERENCES lotes (id),
  motivo      text NOT NULL,
  criado_por  text NOT NULL,
  criado_em   timestamptz NOT NULL DEFAULT now(),
  assinatura  jsonb NOT NULL
);

-- Returns registered in Estoque, shown here for evaluation (the signed evaluation itself is
-- POST /v1/devolucoes/{id}/avaliar in Estoque).
CREATE TABLE devolucoes (
  id            uuid PRIMARY KEY,
  expedicao_id  uuid NOT NULL,
  lote_id       uuid NOT NULL,
  quantidade    numeric(18, 3) NOT NULL,
  motivo        text NOT NULL,
  registrada_em timestamptz NOT NULL,
  recebida_em   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devolucoes_lote ON devolucoes (lote_id);
