#pragma once
// Where the bundled data files are found. A directory the caller names is the
// only place looked: a file missing there, or there but a directory or
// unreadable, throws naming that folder rather than falling back to the
// bundled data. Without one, looked at in order: the environment variable
// XGRAD_DATA, the source tree the library was built from, and the installed
// <prefix>/share/xgrad/data. A fresh checkout therefore needs no setting.

#include <string>
#include <vector>

namespace xg::datasets {

// The directories above, in lookup order (`directory` alone when given).
std::vector<std::string> data_search_path(const std::string& directory = {});

// The path of `file_name` in `directory`, or without one in the first
// directory of the search path that holds it; a DataError naming the folder,
// or every place looked, otherwise.
std::string find_data_file(const std::string& file_name, const std::string& directory = {});

// The whole content of a file, or a DataError naming it.
std::string read_text_file(const std::string& path);

}  // namespace xg::datasets
