#pragma once
// The schedules' name for xg::number_text (core/message.hpp), the one
// number format of xgrad's messages.

#include <xgrad/core/message.hpp>

namespace xg::optim::detail {

using xg::number_text;

}  // namespace xg::optim::detail
