#include "pharmasys/events/contracts.hpp"

#include <boost/json/value.hpp>

#include "pharmasys/events/event.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::events {
namespace {

constexpr pg::Query kUpsertMaterial{
    "material_catalogue_upsert",
    "INSERT INTO materiais (codigo, nome, tipo, unidade, prazo_validade_dias, vida_util_minima_expedicao_dias)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (codigo) DO UPDATE SET nome = EXCLUDED.nome, tipo = EXCLUDED.tipo,"
    " unidade = EXCLUDED.unidade, prazo_validade_dias = EXCLUDED.prazo_validade_dias,"
    " vida_util_minima_expedicao_dias = EXCLUDED.vida_util_minima_expedicao_dias, atualizado_em = now()"};

// Reads one object of an event's data; every failure names the field by its path.
class Reader {
 public:
  Reader(std::string_view tipo, const boost::json::object& object, std::string path)
      : tipo_(tipo), object_(object), path_(std::move(path)) {}

  std::string String(std::string_view key) const { return StringOf(Required(key), key); }
  std::optional<std::string> OptionalString(std::string_view key) const {
    const auto* v = Present(key);
    if (v == nullptr) return std::nullopt;
    return StringOf(*v, key);
  }
  std::int64_t Integer(std::string_view key) const { return IntegerOf(Required(key), key); }
  std::optional<std::int64_t> OptionalInteger(std::string_view key) const {
    const auto* v = Present(key);
    if (v == nullptr) return std::nullopt;
    return IntegerOf(*v, key);
  }
  Decimal Number(std::string_view key) const { return NumberOf(Required(key), key); }
  std::optional<Decimal> OptionalNumber(std::string_view key) const {
    const auto* v = Present(key);
    if (v == nullptr) return std::nullopt;
    return NumberOf(*v, key);
  }
  const boost::json::object& Object(std::string_view key) const { return ObjectOf(Required(key), key); }
  std::optional<boost::json::object> OptionalObject(std::string_view key) const {
    const auto* v = Present(key);
    if (v == nullptr) return std::nullopt;
    return ObjectOf(*v, key);
  }
  const boost::json::array& Array(std::string_view key) const {
    const auto& v = Required(key);
    if (!v.is_array()) Fail(key, "deve ser uma lista");
    return v.get_array();
  }
  std::optional<boost::json::array> OptionalArray(std::string_view key) const {
    if (Present(key) == nullptr) return std::nullopt;
    return Array(key);
  }
  Reader Nested(std::string_view key) const { return {tipo_, Object(key), Path(key)}; }
  std::optional<Reader> OptionalNested(std::string_view key) const {
    if (Present(key) == nullptr) return std::nullopt;
    return Nested(key);
  }
  // The objects of a list, each with its index in the path.
  std::vector<Reader> Items(std::string_view key) const {
    std::vector<Reader> out;
    const auto& items = Array(key);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string path = Path(key) + "[" + std::to_string(i) + "]";
      if (!items[i].is_object()) throw ContractError(std::string(tipo_) + ": " + path + ": deve ser um objeto");
      out.emplace_back(tipo_, items[i].get_object(), path);
    }
    return out;
  }
  const boost::json::object& object() const { return object_; }
  std::string Path(std::string_view key) const { return path_ + "." + std::string(key); }

  [[noreturn]] void Fail(std::string_view key, std::string_view what) const {
    throw ContractError(std::string(tipo_) + ": " + Path(key) + ": " + std::string(what));
  }
  Decimal NumberOf(const boost::json::value& v, std::string_view key) const {
    auto number = json::DecimalFrom(v);
    if (!number) Fail(key, "deve ser um número com até três casas decimais");
    return *number;
  }

 private:
  const boost::json::value& Required(std::string_view key) const {
    const auto* v = Present(key);
    if (v == nullptr) Fail(key, "ausente");
    return *v;
  }
  // nullptr when absent or null.
  const boost::json::value* Present(std::string_view key) const {
    const auto* v = object_.if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  std::string StringOf(const boost::json::value& v, std::string_view key) const {
    if (!v.is_string()) Fail(key, "deve ser um texto");
    return std::string(v.get_string());
  }
  std::int64_t IntegerOf(const boost::json::value& v, std::string_view key) const {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v.get_uint64());
    }
    Fail(key, "deve ser um inteiro");
  }
  const boost::json::object& ObjectOf(const boost::json::value& v, std::string_view key) const {
    if (!v.is_object()) Fail(key, "deve ser um objeto");
    return v.get_object();
  }

  std::string_view tipo_;
  const boost::json::object& object_;
  std::string path_;
};

Reader Dados(std::string_view tipo, const boost::json::object& dados) {
  return {tipo, dados, "dados"};
}

// An optional field the schema does not let be null: left out when empty.
template <typename T>
void PutIf(boost::json::object& o, std::string_view key, const std::optional<T>& value) {
  if (value) o[key] = *value;
}
void PutIf(boost::json::object& o, std::string_view key, const std::optional<Decimal>& value) {
  if (value) o[key] = json::ToJson(*value);
}
// A field the schema lets be null: always written, null when empty.
boost::json::value OrNull(const std::optional<std::string>& value) {
  return json::ToJson(value);
}
boost::json::value OrNull(const std::optional<boost::json::object>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

Assinatura AssinaturaFrom(const Reader& r) {
  return {r.String("nome"), r.String("significado"), r.String("em")};
}

}  // namespace

boost::json::object Assinatura::ToJson() const {
  return {{"nome", nome}, {"significado", significado}, {"em", em}};
}

void ThrowWrongType(const Event& event, std::string_view expected) {
  throw ContractError("evento " + event.tipo + " lido como " + std::string(expected));
}

// ---- material.cadastrado -------------------------------------------------------------

boost::json::object MaterialCadastrado::ToJson() const {
  return {{"codigo", codigo},
          {"nome", nome},
          {"tipo", tipo},
          {"unidade", unidade},
          {"prazo_validade_dias", prazo_validade_dias},
          {"vida_util_minima_expedicao_dias", vida_util_minima_expedicao_dias}};
}

MaterialCadastrado MaterialCadastrado::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.codigo = r.String("codigo"),
          .nome = r.String("nome"),
          .tipo = r.String("tipo"),
          .unidade = r.String("unidade"),
          .prazo_validade_dias = r.Integer("prazo_validade_dias"),
          .vida_util_minima_expedicao_dias = r.Integer("vida_util_minima_expedicao_dias")};
}

void UpsertMaterial(pg::Transaction& tx, const MaterialCadastrado& m) {
  tx.Exec(kUpsertMaterial,
          pg::Params(m.codigo, m.nome, m.tipo, m.unidade, m.prazo_validade_dias, m.vida_util_minima_expedicao_dias));
}

// ---- lote.criado ---------------------------------------------------------------------

boost::json::object LoteCriado::ToJson() const {
  boost::json::object o{{"lote_id", lote_id},   {"codigo", codigo},
                        {"material", material}, {"quantidade", json::ToJson(quantidade)},
                        {"unidade", unidade},   {"validade", validade}};
  PutIf(o, "data_fabricacao", data_fabricacao);
  o["origem"] = origem;
  PutIf(o, "op_id", op_id);
  PutIf(o, "fornecedor", fornecedor);
  PutIf(o, "lote_fornecedor", lote_fornecedor);
  PutIf(o, "criado_por", criado_por);
  PutIf(o, "criado_em", criado_em);
  return o;
}

LoteCriado LoteCriado::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.lote_id = r.String("lote_id"),
          .codigo = r.String("codigo"),
          .material = r.String("material"),
          .quantidade = r.Number("quantidade"),
          .unidade = r.String("unidade"),
          .validade = r.String("validade"),
          .data_fabricacao = r.OptionalString("data_fabricacao"),
          .origem = r.String("origem"),
          .op_id = r.OptionalString("op_id"),
          .fornecedor = r.OptionalString("fornecedor"),
          .lote_fornecedor = r.OptionalString("lote_fornecedor"),
          .criado_por = r.OptionalString("criado_por"),
          .criado_em = r.OptionalString("criado_em")};
}

// ---- insumos.consumidos --------------------------------------------------------------

boost::json::object InsumosConsumidos::ToJson() const {
  boost::json::array items;
  for (const auto& l : lotes) {
    boost::json::object item{
        {"lote_id", l.lote_id}, {"lote_codigo", l.lote_codigo}, {"quantidade", json::ToJson(l.quantidade)}};
    PutIf(item, "validade", l.validade);
    items.push_back(std::move(item));
  }
  boost::json::object o{{"op_id", op_id}, {"consumo_id", consumo_id}, {"material", material}, {"lotes", items}};
  PutIf(o, "quantidade", quantidade);
  PutIf(o, "estoque_consumo_id", estoque_consumo_id);
  PutIf(o, "criado_por", criado_por);
  PutIf(o, "criado_em", criado_em);
  return o;
}

InsumosConsumidos InsumosConsumidos::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  InsumosConsumidos c{.op_id = r.String("op_id"),
                      .consumo_id = r.String("consumo_id"),
                      .material = r.String("material"),
                      .quantidade = r.OptionalNumber("quantidade"),
                      .estoque_consumo_id = r.OptionalString("estoque_consumo_id"),
                      .criado_por = r.OptionalString("criado_por"),
                      .criado_em = r.OptionalString("criado_em")};
  for (const auto& l : r.Items("lotes")) {
    c.lotes.push_back({.lote_id = l.String("lote_id"),
                       .lote_codigo = l.String("lote_codigo"),
                       .quantidade = l.Number("quantidade"),
                       .validade = l.OptionalString("validade")});
  }
  return c;
}

// ---- op.status_alterado --------------------------------------------------------------

boost::json::object OpStatusAlterado::ToJson() const {
  boost::json::object o{{"op_id", op_id},
                        {"codigo", codigo},
                        {"produto", produto},
                        {"status", status},
                        {"status_anterior", OrNull(status_anterior)}};
  PutIf(o, "quantidade", quantidade);
  PutIf(o, "receita_id", receita_id);
  PutIf(o, "receita_versao", receita_versao);
  PutIf(o, "etapas", etapas);
  PutIf(o, "criado_por", criado_por);
  PutIf(o, "criado_em", criado_em);
  o["status_antes_do_bloqueio"] = OrNull(status_antes_do_bloqueio);
  PutIf(o, "desvios_abertos", desvios_abertos);
  o["motivo_cancelamento"] = OrNull(motivo_cancelamento);
  o["iniciada_em"] = OrNull(iniciada_em);
  o["concluida_em"] = OrNull(concluida_em);
  o["cancelada_em"] = OrNull(cancelada_em);
  PutIf(o, "versao", versao);
  return o;
}

OpStatusAlterado OpStatusAlterado::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  if (!dados.contains("status_anterior")) r.Fail("status_anterior", "ausente");
  return {.op_id = r.String("op_id"),
          .codigo = r.String("codigo"),
          .produto = r.String("produto"),
          .status = r.String("status"),
          .status_anterior = r.OptionalString("status_anterior"),
          .quantidade = r.OptionalNumber("quantidade"),
          .receita_id = r.OptionalString("receita_id"),
          .receita_versao = r.OptionalInteger("receita_versao"),
          .etapas = r.OptionalArray("etapas"),
          .criado_por = r.OptionalString("criado_por"),
          .criado_em = r.OptionalString("criado_em"),
          .status_antes_do_bloqueio = r.OptionalString("status_antes_do_bloqueio"),
          .desvios_abertos = r.OptionalInteger("desvios_abertos"),
          .motivo_cancelamento = r.OptionalString("motivo_cancelamento"),
          .iniciada_em = r.OptionalString("iniciada_em"),
          .concluida_em = r.OptionalString("concluida_em"),
          .cancelada_em = r.OptionalString("cancelada_em"),
          .versao = r.OptionalInteger("versao")};
}

// ---- etapa.registrada ----------------------------------------------------------------

boost::json::object EtapaRegistrada::ToJson() const {
  boost::json::object valores;
  for (const auto& [nome, valor] : parametros) valores[nome] = json::ToJson(valor);
  boost::json::array flags;
  for (const auto& f : fora_dos_limites) {
    boost::json::object flag{{"parametro", f.parametro}, {"valor", json::ToJson(f.valor)}};
    PutIf(flag, "minimo", f.minimo);
    PutIf(flag, "maximo", f.maximo);
    flags.push_back(std::move(flag));
  }
  return {{"op_id", op_id},
          {"registro_id", registro_id},
          {"ordem", ordem},
          {"parametros", std::move(valores)},
          {"fora_dos_limites", std::move(flags)},
          {"motivo", OrNull(motivo)},
          {"observacao", OrNull(observacao)},
          {"registrado_por", registrado_por},
          {"registrado_em", registrado_em}};
}

EtapaRegistrada EtapaRegistrada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  EtapaRegistrada e{.op_id = r.String("op_id"),
                    .registro_id = r.String("registro_id"),
                    .ordem = r.Integer("ordem"),
                    .motivo = r.OptionalString("motivo"),
                    .observacao = r.OptionalString("observacao"),
                    .registrado_por = r.String("registrado_por"),
                    .registrado_em = r.String("registrado_em")};
  const auto valores = r.Nested("parametros");
  for (const auto& [nome, valor] : valores.object()) {
    e.parametros.emplace_back(std::string(nome), valores.NumberOf(valor, nome));
  }
  for (const auto& f : r.Items("fora_dos_limites")) {
    e.fora_dos_limites.push_back({.parametro = f.String("parametro"),
                                  .valor = f.Number("valor"),
                                  .minimo = f.OptionalNumber("minimo"),
                                  .maximo = f.OptionalNumber("maximo")});
  }
  return e;
}

// ---- laudo.emitido -------------------------------------------------------------------

boost::json::object LaudoEmitido::ToJson() const {
  return {{"laudo_id", laudo_id},     {"amostra_id", amostra_id},
          {"lote_id", lote_id},       {"lote_codigo", lote_codigo},
          {"decisao", decisao},       {"emitido_por", emitido_por},
          {"emitido_em", emitido_em}, {"assinatura", assinatura.ToJson()}};
}

LaudoEmitido LaudoEmitido::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.laudo_id = r.String("laudo_id"),
          .amostra_id = r.String("amostra_id"),
          .lote_id = r.String("lote_id"),
          .lote_codigo = r.String("lote_codigo"),
          .decisao = r.String("decisao"),
          .emitido_por = r.String("emitido_por"),
          .emitido_em = r.String("emitido_em"),
          .assinatura = AssinaturaFrom(r.Nested("assinatura"))};
}

// ---- op.revisada ---------------------------------------------------------------------

boost::json::object OpRevisada::ToJson() const {
  return {{"op_id", op_id},
          {"codigo", codigo},
          {"revisado_por", revisado_por},
          {"revisado_em", revisado_em},
          {"excecoes", excecoes},
          {"assinatura", assinatura.ToJson()}};
}

OpRevisada OpRevisada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.op_id = r.String("op_id"),
          .codigo = r.String("codigo"),
          .revisado_por = r.String("revisado_por"),
          .revisado_em = r.String("revisado_em"),
          .excecoes = r.Integer("excecoes"),
          .assinatura = AssinaturaFrom(r.Nested("assinatura"))};
}

// ---- desvio.aberto / desvio.encerrado ------------------------------------------------

boost::json::object DesvioAberto::ToJson() const {
  boost::json::object o{{"desvio_id", desvio_id}, {"op_id", op_id}};
  PutIf(o, "lote_id", lote_id);
  o["classificacao"] = classificacao;
  o["descricao"] = descricao;
  return o;
}

DesvioAberto DesvioAberto::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.desvio_id = r.String("desvio_id"),
          .op_id = r.String("op_id"),
          .lote_id = r.OptionalString("lote_id"),
          .classificacao = r.String("classificacao"),
          .descricao = r.String("descricao")};
}

boost::json::object DesvioEncerrado::ToJson() const {
  boost::json::object o{{"desvio_id", desvio_id}, {"op_id", op_id}};
  PutIf(o, "lote_id", lote_id);
  return o;
}

DesvioEncerrado DesvioEncerrado::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.desvio_id = r.String("desvio_id"), .op_id = r.String("op_id"), .lote_id = r.OptionalString("lote_id")};
}

// ---- lote.recolhido ------------------------------------------------------------------

boost::json::object LoteRecolhido::ToJson() const {
  return {{"lote_id", lote_id}, {"lote_codigo", lote_codigo}, {"motivo", motivo}};
}

LoteRecolhido LoteRecolhido::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.lote_id = r.String("lote_id"), .lote_codigo = r.String("lote_codigo"), .motivo = r.String("motivo")};
}

// ---- expedicao.confirmada ------------------------------------------------------------

boost::json::object ExpedicaoConfirmada::ToJson() const {
  boost::json::array items;
  for (const auto& i : itens) {
    items.push_back(boost::json::object{{"lote_id", i.lote_id},
                                        {"lote_codigo", i.lote_codigo},
                                        {"material", i.material},
                                        {"quantidade", json::ToJson(i.quantidade)}});
  }
  return {{"expedicao_id", expedicao_id},
          {"cliente", boost::json::object{{"nome", cliente.nome}, {"documento", cliente.documento}}},
          {"itens", std::move(items)},
          {"confirmada_em", confirmada_em}};
}

ExpedicaoConfirmada ExpedicaoConfirmada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  const auto cliente = r.Nested("cliente");
  ExpedicaoConfirmada e{.expedicao_id = r.String("expedicao_id"),
                        .cliente = {cliente.String("nome"), cliente.String("documento")},
                        .confirmada_em = r.String("confirmada_em")};
  for (const auto& i : r.Items("itens")) {
    e.itens.push_back({.lote_id = i.String("lote_id"),
                       .lote_codigo = i.String("lote_codigo"),
                       .material = i.String("material"),
                       .quantidade = i.Number("quantidade")});
  }
  return e;
}

// ---- devolucao.registrada ------------------------------------------------------------

boost::json::object DevolucaoRegistrada::ToJson() const {
  return {{"devolucao_id", devolucao_id},
          {"expedicao_id", expedicao_id},
          {"lote_id", lote_id},
          {"quantidade", json::ToJson(quantidade)},
          {"motivo", motivo}};
}

DevolucaoRegistrada DevolucaoRegistrada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.devolucao_id = r.String("devolucao_id"),
          .expedicao_id = r.String("expedicao_id"),
          .lote_id = r.String("lote_id"),
          .quantidade = r.Number("quantidade"),
          .motivo = r.String("motivo")};
}

// ---- devolucao.avaliada --------------------------------------------------------------

boost::json::object DevolucaoAvaliada::ToJson() const {
  return {{"devolucao_id", devolucao_id},
          {"lote_id", lote_id},
          {"lote_codigo", lote_codigo},
          {"decisao", decisao},
          {"quantidade", json::ToJson(quantidade)},
          {"motivo", motivo},
          {"avaliado_por", avaliado_por},
          {"avaliado_em", avaliado_em}};
}

DevolucaoAvaliada DevolucaoAvaliada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.devolucao_id = r.String("devolucao_id"),
          .lote_id = r.String("lote_id"),
          .lote_codigo = r.String("lote_codigo"),
          .decisao = r.String("decisao"),
          .quantidade = r.Number("quantidade"),
          .motivo = r.String("motivo"),
          .avaliado_por = r.String("avaliado_por"),
          .avaliado_em = r.String("avaliado_em")};
}

// ---- auditoria.checkpoint ------------------------------------------------------------

boost::json::object AuditoriaCheckpoint::ToJson() const {
  return {{"servico", servico}, {"sequencia", sequencia}, {"hash", hash},
          {"em", em},           {"chave_id", chave_id},   {"assinatura", assinatura}};
}

AuditoriaCheckpoint AuditoriaCheckpoint::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  return {.servico = r.String("servico"),
          .sequencia = r.Integer("sequencia"),
          .hash = r.String("hash"),
          .em = r.String("em"),
          .chave_id = r.String("chave_id"),
          .assinatura = r.String("assinatura")};
}

// ---- auditoria.registrada ------------------------------------------------------------

boost::json::object AuditoriaRegistrada::ToJson() const {
  return {
      {"id", id},
      {"servico", servico},
      {"sequencia", sequencia},
      {"ocorrido_em", ocorrido_em},
      {"usuario", boost::json::object{{"sub", usuario.sub}, {"username", usuario.username}, {"nome", usuario.nome}}},
      {"acao", acao},
      {"entidade", entidade},
      {"entidade_id", entidade_id},
      {"antes", OrNull(antes)},
      {"depois", OrNull(depois)},
      {"motivo", OrNull(motivo)},
      {"assinatura", assinatura ? boost::json::value(assinatura->ToJson()) : boost::json::value(nullptr)},
      {"request_id", OrNull(request_id)},
      {"hash_anterior", hash_anterior},
      {"hash", hash}};
}

AuditoriaRegistrada AuditoriaRegistrada::FromJson(const boost::json::object& dados) {
  auto r = Dados(kTipo, dados);
  for (const char* nullable : {"antes", "depois", "motivo", "assinatura", "request_id"}) {
    if (!dados.contains(nullable)) r.Fail(nullable, "ausente");
  }
  const auto usuario = r.Nested("usuario");
  std::optional<Assinatura> assinatura;
  if (auto a = r.OptionalNested("assinatura")) assinatura = AssinaturaFrom(*a);
  return {.id = r.String("id"),
          .servico = r.String("servico"),
          .sequencia = r.Integer("sequencia"),
          .ocorrido_em = r.String("ocorrido_em"),
          .usuario = {usuario.String("sub"), usuario.String("username"), usuario.String("nome")},
          .acao = r.String("acao"),
          .entidade = r.String("entidade"),
          .entidade_id = r.String("entidade_id"),
          .antes = r.OptionalObject("antes"),
          .depois = r.OptionalObject("depois"),
          .motivo = r.OptionalString("motivo"),
          .assinatura = std::move(assinatura),
          .request_id = r.OptionalString("request_id"),
          .hash_anterior = r.String("hash_anterior"),
          .hash = r.String("hash")};
}

}  // namespace pharmasys::events
