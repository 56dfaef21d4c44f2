-- Transactional outbox: events written in the same transaction as the change, published by
-- the relay after commit, marked only after the broker's confirm.
CREATE TABLE outbox (
  sequencia    bigserial PRIMARY KEY,
  id           uuid NOT NULL UNIQUE,
  tipo         text NOT NULL,
  envelope     text NOT NULL,          -- the exact JSON that is published
  traceparent  text,
  criado_em    timestamptz NOT NULL DEFAULT now(),
  publicado_em timestamptz
);
CREATE INDEX outbox_pendentes ON outbox (sequencia) WHERE publicado_em IS NULL;

-- Inbox: an event id recorded in the same transaction as its effect makes redeliveries harmless.
CREATE TABLE eventos_processados (
  id            uuid PRIMARY KEY,
  tipo          text NOT NULL,
  processado_em timestamptz NOT NULL DEFAULT now()
);
