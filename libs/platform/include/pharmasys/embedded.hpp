#pragma once
// Files compiled into the binary by cmake/EmbedFiles.cmake (migrations, event schemas).
#include <vector>

namespace pharmasys {

struct EmbeddedFile {
  const char* name;
  const char* content;
};

namespace embedded {
// docs/events/*.schema.json, in every binary (see libs/platform/CMakeLists.txt).
const std::vector<EmbeddedFile>& EventSchemaFiles();
}  // namespace embedded

}  // namespace pharmasys
