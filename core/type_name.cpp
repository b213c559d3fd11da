#include <xgrad/core/detail/type_name.hpp>

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace xg {

std::string readable_type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}

}  // namespace xg
