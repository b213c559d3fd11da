#pragma once
// A type's name as written in C++ ("xg::nn::BasicLinear<float>"), for
// messages about an object of the wrong type.

#include <string>
#include <typeinfo>

namespace xg {

std::string readable_type_name(const std::type_info& type);

}  // namespace xg
