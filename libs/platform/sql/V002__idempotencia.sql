-- Idempotency-Key records (API.md, Conventions). Written in the same transaction as the
-- effect, so a crash never leaves an effect without its key or a key without its effect.
CREATE TABLE idempotencia (
  usuario          text NOT NULL,
  chave            text NOT NULL,
  hash_requisicao  text NOT NULL,         -- SHA-256 of method, path and body
  status           integer NOT NULL,
  cabecalhos       text NOT NULL,         -- JSON object of the replayed headers
  corpo            text NOT NULL,
  criado_em        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (usuario, chave)
);
CREATE INDEX idempotencia_criado_em ON idempotencia (criado_em);
