// JSON Schema validation of reports with valijson's nlohmann adapter.
#include "lab/report_schema.h"

#include <fstream>
#include <stdexcept>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace tlsdoctor::lab {

namespace {

nlohmann::json load_report_schema() {
  const std::string path = std::string(TLSDOCTOR_SOURCE_DIR) + "/docs/report-schema.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

std::vector<std::string> violations(const nlohmann::json& schema_doc, const nlohmann::json& document) {
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter doc_adapter(document);
  std::vector<std::string> out;
  if (!validator.validate(schema, doc_adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string where;
      for (const auto& c : error.context) where += c;
      out.push_back(where + ": " + error.description);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> report_schema_violations(const nlohmann::json& document) {
  return violations(load_report_schema(), document);
}

std::vector<std::string> probe_output_violations(const nlohmann::json& document) {
  const nlohmann::json report_schema = load_report_schema();
  // `probe -f json` prints {"probes": [...]} with the report's probe objects: the same
  // definitions, a different root.
  nlohmann::json schema = {{"$schema", report_schema.at("$schema")},
                           {"definitions", report_schema.at("definitions")},
                           {"type", "object"},
                           {"required", {"probes"}},
                           {"additionalProperties", false},
                           {"properties", {{"probes", report_schema.at("properties").at("probes")}}}};
  return violations(schema, document);
}

}  // namespace tlsdoctor::lab
