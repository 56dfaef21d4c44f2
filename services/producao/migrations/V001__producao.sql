-- Produção: the materials it knows (from material.cadastrado), immutable recipe versions,
-- production orders with their step records, consumptions (the genealogy insumo lot → OP),
-- produced lots, and the deviations that block an OP.

CREATE TABLE materiais (
  codigo                           text PRIMARY KEY,
  nome                             text NOT NULL,
  tipo                             text NOT NULL,
  unidade                          text NOT NULL,
  prazo_validade_dias              integer NOT NULL,
  vida_util_minima_expedicao_dias  integer NOT NULL,
  atualizado_em                    timestamptz NOT NULL DEFAULT now()
);

-- A recipe version is immutable once created: no UPDATE path exists in the service.
CREATE TABLE receitas (
  id          uuid PRIMARY KEY,
  produto     text NOT NULL REFERENCES materiais (codigo),
  versao      integer NOT NULL CHECK (versao > 0),
  etapas      jsonb NOT NULL,   -- [{ordem, nome, parametros: [{nome, unidade?, minimo?, maximo?}]}]
  insumos     jsonb NOT NULL,   -- [{material, quantidade_por_unidade}]
  criado_por  text NOT NULL,
  criado_em   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (produto, versao)
);

CREATE SEQUENCE ordem_producao_seq;
CREATE TABLE ordens_producao (
  id                  uuid PRIMARY KEY,
  codigo              text NOT NULL UNIQUE,
  produto             text NOT NULL REFERENCES materiais (codigo),
  quantidade          numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  receita_id          uuid NOT NULL REFERENCES receitas (id),
  status              text NOT NULL CHECK (status IN ('planejada', 'em_execucao', 'bloqueada', 'concluida', 'cancelada')),
  status_antes_bloqueio text CHECK (status_antes_bloqueio IN ('planejada', 'em_execucao')),
  desvios_abertos     integer NOT NULL DEFAULT 0 CHECK (desvios_abertos >= 0),
  motivo_cancelamento text,
  criado_por          text NOT NULL,
  criado_em           timestamptz NOT NULL DEFAULT now(),
  iniciada_em         timestamptz,
  concluida_em        timestamptz,
  cancelada_em        timestamptz,
  versao              integer NOT NULL DEFAULT 1,
  CHECK ((status = 'bloqueada') = (status_antes_bloqueio IS NOT NULL))
);
CREATE INDEX ordens_producao_status ON ordens_producao (status, id);
CREATE INDEX ordens_producao_produto ON ordens_producao (produto, id);

-- Deviations as CQ announces them; the count of open ones per OP lives on the OP row.
CREATE TABLE desvios (
  id             uuid PRIMARY KEY,
  op_id          uuid NOT NULL,
  lote_id        uuid,
  classificacao  text,
  descricao      text,
  status         text NOT NULL CHECK (status IN ('aberto', 'encerrado')),
  aberto_em      timestamptz,
  encerrado_em   timestamptz
);
CREATE INDEX desvios_op ON desvios (op_id);

CREATE TABLE registros (
  id               uuid PRIMARY KEY,
  op_id            uuid NOT NULL REFERENCES ordens_producao (id),
  ordem            integer NOT NULL,
  parametros       jsonb NOT NULL,            -- {nome: valor}
  fora_dos_limites jsonb NOT NULL,            -- [{parametro, valor, minimo?, maximo?}]
  motivo           text,
  observacao       text,
  registrado_por_sub      text NOT NULL,
  registrado_por_username text NOT NULL,
  registrado_em    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (op_id, ordem)
);

-- Consumptions: the id is derived from the OP, the caller and its Idempotency-Key, and it is
-- the Idempotency-Key Produção sends to Estoque, so no retry can consume twice.
CREATE TABLE consumos (
  id          uuid PRIMARY KEY,
  op_id       uuid NOT NULL REFERENCES ordens_producao (id),
  material    text NOT NULL,
  quantidade  numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  estoque_consumo_id uuid NOT NULL,
  criado_por  text NOT NULL,
  criado_em   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consumos_op ON consumos (op_id);
CREATE TABLE consumo_lotes (
  consumo_id  uuid NOT NULL REFERENCES consumos (id),
  ordem       integer NOT NULL,
  lote_id     uuid NOT NULL,
  lote_codigo text NOT NULL,
  quantidade  numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  validade    date NOT NULL,
  PRIMARY KEY (consumo_id, ordem)
);
CREATE INDEX consumo_lotes_lote ON consumo_lotes (lote_id);

CREATE SEQUENCE lote_producao_seq;
CREATE TABLE lotes (
  id               uuid PRIMARY KEY,
  codigo           text NOT NULL UNIQUE,
  op_id            uuid NOT NULL REFERENCES ordens_producao (id),
  material         text NOT NULL,
  quantidade       numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  unidade          text NOT NULL,
  data_fabricacao  date NOT NULL,
  validade         date NOT NULL,
  status           text NOT NULL CHECK (status IN ('quarentena', 'liberado', 'reprovado')),
  laudo_id         uuid,
  laudo_emitido_em timestamptz,
  criado_por       text NOT NULL,
  criado_em        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lotes_op ON lotes (op_id);
