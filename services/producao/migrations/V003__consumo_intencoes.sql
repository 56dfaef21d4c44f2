-- RULES R5: a consumption is first recorded as an intent, committed before Estoque is asked,
-- and completed (concluida, with its consumo) or refused (recusada, with Estoque's problem)
-- afterwards — by the request that made it or, after a crash, by the service's recovery task.
-- Its id is the consumo's id; chave_estoque is the Idempotency-Key sent to Estoque, derived
-- from that id, so every repeat of the call takes the stock once.
CREATE TABLE consumo_intencoes (
  id                      uuid PRIMARY KEY,
  op_id                   uuid NOT NULL REFERENCES ordens_producao (id),
  material                text NOT NULL,
  quantidade              numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  chave_estoque           text NOT NULL UNIQUE,
  hash_requisicao         text NOT NULL,
  estado                  text NOT NULL CHECK (estado IN ('pendente', 'concluida', 'recusada')),
  recusa_status           integer,
  recusa_tipo             text,
  recusa_titulo           text,
  recusa_detalhe          text,
  recusa_erros            jsonb,
  solicitado_por_sub      text NOT NULL,
  solicitado_por_username text NOT NULL,
  solicitado_por_nome     text NOT NULL,
  tentativas              integer NOT NULL DEFAULT 0,
  criado_em               timestamptz NOT NULL DEFAULT now(),
  atualizado_em           timestamptz NOT NULL DEFAULT now(),
  CHECK ((estado = 'recusada') = (recusa_status IS NOT NULL))
);
CREATE INDEX consumo_intencoes_pendentes ON consumo_intencoes (atualizado_em) WHERE estado = 'pendente';
CREATE INDEX consumo_intencoes_op_pendentes ON consumo_intencoes (op_id) WHERE estado = 'pendente';
