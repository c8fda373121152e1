// Wiring: settings -> store -> services -> HTTP server. The CLI calls these.
#pragma once

#include <memory>
#include <string>

#include "app/settings.h"
#include "store/store.h"

namespace jaga {

// Opens the store under settings.data_dir, creating the directory, applying migrations.
Result<std::unique_ptr<Store>> open_store(const Settings& settings);

// Where the built front end is: the setting, else web/dist beside the source
// tree the binary was built from (build/<preset>/jaga -> web/dist).
std::string find_web_root(const Settings& settings, const std::string& executable_path);

// Serves until SIGTERM/SIGINT; returns the process exit code.
int serve(const Settings& settings, const std::string& executable_path);

}  // namespace jaga
