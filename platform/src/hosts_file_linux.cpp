// Reads /etc/hosts under the sysroot.
#include "platform/file_read.h"
#include "platform/hosts_file.h"

namespace tlsdoctor::platform {

std::string_view hosts_file_path() { return "/etc/hosts"; }

tl::expected<std::vector<HostsEntry>, Error> hosts_entries(const Env& env) {
  auto text = read_file(env, hosts_file_path());
  if (!text) return tl::unexpected(text.error());
  return parse_hosts_file(*text);
}

}  // namespace tlsdoctor::platform
