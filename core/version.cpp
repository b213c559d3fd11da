#include <xgrad/core/version.hpp>

namespace xg {

const char* version() { return XGRAD_VERSION; }

}  // namespace xg
