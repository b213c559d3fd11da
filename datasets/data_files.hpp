#pragma once
// Where the bundled data files are found. Looked at in order: the directory
// a caller names, the environment variable XGRAD_DATA, the source tree the
// library was built from, and the installed <prefix>/share/xgrad/data. A
// fresh checkout therefore needs no setting at all.

#include <string>
#include <vector>

namespace xg::datasets {

// The directories above, in lookup order; empty entries are left out.
std::vector<std::string> data_search_path(const std::string& directory = {});

// The path of `file_name` in the first directory of the search path that
// holds it; a DataError naming every place looked otherwise.
std::string find_data_file(const std::string& file_name, const std::string& directory = {});

// The whole content of a file, or a DataError naming it.
std::string read_text_file(const std::string& path);

}  // namespace xg::datasets
