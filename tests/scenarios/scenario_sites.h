// The lab sites scenarios put on nginx, and a staged run that targets them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "lab/nginx_server.h"
#include "lab/scenario_server.h"
#include "scenarios/scenario.h"

namespace tlsdoctor::scenarios {

using Sites = tl::expected<std::vector<lab::NginxSite>, std::string>;

// The default server for the lab name with `behaviour`'s certificate, changed by `adjust`.
tl::expected<lab::NginxSite, std::string> lab_site(lab::Behaviour behaviour,
                                                   const std::function<void(lab::NginxSite&)>& adjust = {});
// `site` as the only server block.
Sites one_site(tl::expected<lab::NginxSite, std::string> site);

// nginx serving `sites` on `address`, kept in `staged` under `name` (its logs shown on
// failure). Its port.
tl::expected<std::uint16_t, std::string> add_nginx(Staged& staged, const Sites& sites, const std::string& address,
                                                   const std::string& name);
// The same, with tlsdoctor's target pointed at it and the reference allowed to observe its port.
tl::expected<std::uint16_t, std::string> add_target(Staged& staged, const Sites& sites,
                                                    const std::string& address = "127.0.0.1");
// A run whose only component is the target nginx.
tl::expected<Staged, std::string> targeting(const Sites& sites);

}  // namespace tlsdoctor::scenarios
