// Tensor printing, following torch/_tensor_str.py (_Formatter, _vector_str,
// _tensor_str_with_formatter, get_summarized_data, _add_suffixes) with its
// default options.

#include <xgrad/core/print.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace xg {

namespace {

constexpr int precision = 4;
constexpr std::size_t threshold = 1000;
constexpr std::size_t edgeitems = 3;
constexpr std::size_t linewidth = 80;

std::string printf_format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}

// Python's "{:.0f}" and "{:.4f}" / "{:.4e}" spell NaN and infinities nan,
// inf and -inf (never -nan).
std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string scientific(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return printf_format("%.*e", v);
}

// One format for every element, chosen from the nonzero finite values shown.
class Formatter {
 public:
  explicit Formatter(const std::vector<double>& shown) {
    std::vector<double> magnitudes;
    for (double v : shown)
      if (std::isfinite(v) && v != 0) {
        magnitudes.push_back(std::abs(v));
        if (v != std::ceil(v)) int_mode_ = false;
      }
    if (magnitudes.empty()) return;
    const double lo = *std::min_element(magnitudes.begin(), magnitudes.end());
    const double hi = *std::max_element(magnitudes.begin(), magnitudes.end());
    sci_mode_ = hi / lo > 1000.0 || hi > 1.0e8 || (!int_mode_ && lo < 1.0e-4);
    for (double v : shown) {
      if (!std::isfinite(v) || v == 0) continue;
      const std::size_t length = sci_mode_   ? scientific(v).size()
                                 : int_mode_ ? fixed(v, 0).size() + 1
                                             : fixed(v, precision).size();
      width_ = std::max(width_, length);
    }
  }

  std::size_t width() const { return width_; }

  std::string format(double v) const {
    std::string text;
    if (sci_mode_)
      text = scientific(v);
    else if (int_mode_)
      text = fixed(v, 0) + (std::isfinite(v) ? "." : "");
    else
      text = fixed(v, precision);
    return text.size() < width_ ? std::string(width_ - text.size(), ' ') + text : text;
  }

 private:
  bool int_mode_ = true;
  bool sci_mode_ = false;
  std::size_t width_ = 1;
};

// The positions printed along an axis of `n`: all, or the edges.
std::vector<std::size_t> shown_positions(std::size_t n, bool summarize) {
  std::vector<std::size_t> out;
  if (summarize && n > 2 * edgeitems) {
    for (std::size_t i = 0; i < edgeitems; ++i) out.push_back(i);
    for (std::size_t i = n - edgeitems; i < n; ++i) out.push_back(i);
  } else {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
  }
  return out;
}

template <class S>
class Printer {
 public:
  Printer(const Array<S>& a, bool summarize) : a_(a), summarize_(summarize) {
    strides_.assign(a.dimension(), 1);
    for (std::size_t d = a.dimension(); d-- > 1;) strides_[d - 1] = strides_[d] * a.shape()[d];
  }

  // The values printed, in order: what the formatter is chosen from.
  void collect(std::size_t dim, std::size_t offset, std::vector<double>& out) const {
    if (dim == a_.dimension()) {
      out.push_back(static_cast<double>(a_.data()[offset]));
      return;
    }
    for (std::size_t i : shown_positions(a_.shape()[dim], summarize_))
      collect(dim + 1, offset + i * strides_[dim], out);
  }

  std::string text(const Formatter& f, std::size_t dim, std::size_t offset, std::size_t indent) const {
    const std::size_t rank = a_.dimension();
    if (dim == rank) return f.format(static_cast<double>(a_.data()[offset]));
    const std::size_t n = a_.shape()[dim];
    const bool elided = summarize_ && n > 2 * edgeitems;
    const auto positions = shown_positions(n, summarize_);
    std::vector<std::string> parts;
    for (std::size_t k = 0; k < positions.size(); ++k) {
      if (elided && k == edgeitems) parts.push_back(dim + 1 == rank ? " ..." : "...");
      parts.push_back(text(f, dim + 1, offset + positions[k] * strides_[dim], indent + 1));
    }
    std::string out = "[";
    if (dim + 1 == rank) {
      const std::size_t per_line =
          std::max<std::size_t>(1, (linewidth - std::min(linewidth, indent)) / (f.width() + 2));
      for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k > 0) out += k % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
        out += parts[k];
      }
    } else {
      const std::string separator = "," + std::string(rank - dim - 1, '\n') + std::string(indent + 1, ' ');
      for (std::size_t k = 0; k < parts.size(); ++k) out += (k > 0 ? separator : "") + parts[k];
    }
    return out + "]";
  }

 private:
  const Array<S>& a_;
  bool summarize_;
  std::vector<std::size_t> strides_;
};

}  // namespace

template <class Scalar>
std::ostream& operator<<(std::ostream& out, const BasicTensor<Scalar>& t) {
  if (!t.defined()) return out << "tensor(undefined)";
  const Array<Scalar>& a = t.value();
  const std::string prefix = "tensor(";
  std::string body;
  std::vector<std::string> suffixes;
  if (a.size() == 0) {
    body = "[]";
    if (a.dimension() != 1) suffixes.push_back("size=" + shape_to_string(a.shape()));
  } else {
    Printer<Scalar> printer(a, a.size() > threshold);
    std::vector<double> shown;
    printer.collect(0, 0, shown);
    body = printer.text(Formatter(shown), 0, 0, prefix.size());
  }
  if (std::is_same_v<Scalar, double>) suffixes.push_back("dtype=torch.float64");
  if (!t.is_leaf())
    suffixes.push_back(std::string("grad_fn=<") + t.op() + ">");
  else if (t.requires_grad())
    suffixes.push_back("requires_grad=true");
  std::string text = prefix + body;
  const std::size_t last_newline = text.rfind('\n');
  std::size_t last_line = last_newline == std::string::npos ? text.size() + 2 : text.size() - last_newline + 1;
  for (const auto& suffix : suffixes) {
    if (last_line + suffix.size() + 2 > linewidth) {
      text += ",\n" + std::string(prefix.size(), ' ') + suffix;
      last_line = prefix.size() + suffix.size();
    } else {
      text += ", " + suffix;
      last_line += suffix.size() + 2;
    }
  }
  return out << text << ")";
}

template std::ostream& operator<<(std::ostream&, const BasicTensor<float>&);
template std::ostream& operator<<(std::ostream&, const BasicTensor<double>&);

}  // namespace xg
