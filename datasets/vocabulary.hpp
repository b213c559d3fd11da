#pragma once
// A word <-> index mapping learnt from tokenized documents. Index 0 is the
// unknown token, which every word outside the vocabulary maps to; the others
// follow by descending count, ties in byte order, so the same documents
// always give the same indices.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace xg::datasets {

struct VocabularyOptions {
  std::size_t min_count = 1;  // words seen fewer times are left out
  std::size_t max_size = 0;   // at most this many entries, the unknown token included; 0: no limit
  std::string unknown_token = "<unk>";
};

class Vocabulary {
 public:
  static constexpr std::size_t unknown_index = 0;

  // Only the unknown token.
  Vocabulary() : Vocabulary(std::vector<std::vector<std::string>>{}) {}
  explicit Vocabulary(const std::vector<std::vector<std::string>>& documents, VocabularyOptions options = {});

  // The word's index, unknown_index for a word outside the vocabulary.
  std::size_t index(std::string_view word) const;
  // The word at `index`; std::invalid_argument past the end.
  const std::string& word(std::size_t index) const;
  bool contains(std::string_view word) const;
  std::size_t size() const { return words_.size(); }
  const std::string& unknown_token() const { return words_[unknown_index]; }
  // Every entry in index order, the unknown token first.
  const std::vector<std::string>& words() const { return words_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<std::string> words_;
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> indices_;
};

}  // namespace xg::datasets
