#include <xgrad/distributed/broadcast.hpp>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

#include <xgrad/core/error.hpp>
#include <xgrad/distributed/detail/mpi_type.hpp>
#include <xgrad/distributed/environment.hpp>

namespace xg::distributed {
namespace {

using detail::mpi_type;

int this_rank() {
  int rank = 0;
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
  return rank;
}

int mpi_count(std::size_t n, const std::string& what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw_invalid_argument("broadcast", what + " of " + std::to_string(n) + " elements exceeds MPI's int count");
  return static_cast<int>(n);
}

// `bytes` on `root`, then the same bytes on every rank.
void broadcast_bytes(std::string& bytes, int root) {
  std::uint64_t size = bytes.size();
  check(MPI_Bcast(&size, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
  mpi_count(size, "a message");
  bytes.resize(size);
  check(MPI_Bcast(bytes.data(), static_cast<int>(size), MPI_CHAR, root, MPI_COMM_WORLD), "MPI_Bcast");
}

struct Signature {
  std::vector<std::string> names;
  std::vector<std::string> shapes;
};

// One "name\tshape\n" line per parameter: names may hold anything but those two.
template <class Scalar>
std::string describe(const NamedTensors<Scalar>& parameters) {
  std::string out;
  for (const auto& [name, tensor] : parameters) out += name + '\t' + shape_to_string(tensor.shape()) + '\n';
  return out;
}

Signature parse(const std::string& description) {
  Signature s;
  std::size_t begin = 0;
  while (begin < description.size()) {
    const std::size_t tab = description.find('\t', begin), end = description.find('\n', tab);
    s.names.push_back(description.substr(begin, tab - begin));
    s.shapes.push_back(description.substr(tab + 1, end - tab - 1));
    begin = end + 1;
  }
  return s;
}

enum Mismatch : int { none = 0, shape = 1, name = 2 };

// What differs between this rank's parameters and the root's, first difference only.
Mismatch compare(const Signature& root_side, const Signature& mine, int root, int rank, std::string& message) {
  const std::string here = " on rank " + std::to_string(rank), there = " on rank " + std::to_string(root);
  for (std::size_t i = 0; i < root_side.names.size() && i < mine.names.size(); ++i) {
    if (root_side.names[i] != mine.names[i]) {
      message = "parameter " + std::to_string(i) + " is '" + root_side.names[i] + "'" + there + " but '" +
                mine.names[i] + "'" + here;
      return name;
    }
    if (root_side.shapes[i] != mine.shapes[i]) {
      message = "parameter '" + mine.names[i] + "' has shape " + root_side.shapes[i] + there + " but " +
                mine.shapes[i] + here;
      return shape;
    }
  }
  if (root_side.names.size() != mine.names.size()) {
    message = "the model has " + std::to_string(root_side.names.size()) + " parameters" + there + " but " +
              std::to_string(mine.names.size()) + here;
    return name;
  }
  return none;
}

// Every rank learns the first rank whose parameters differ from the root's
// and throws its message, so that no rank goes on to a broadcast the others
// will not join.
template <class Scalar>
void check_same_parameters(const NamedTensors<Scalar>& parameters, int root) {
  const int rank = this_rank();
  std::string description = describe(parameters);
  const std::string mine = description;
  broadcast_bytes(description, root);
  std::string message;
  int mismatch = compare(parse(description), parse(mine), root, rank, message);
  int world = 0;
  check(MPI_Comm_size(MPI_COMM_WORLD, &world), "MPI_Comm_size");
  int first = mismatch == none ? world : rank, first_differing = world;
  check(MPI_Allreduce(&first, &first_differing, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD), "MPI_Allreduce");
  if (first_differing == world) return;
  broadcast_bytes(message, first_differing);
  check(MPI_Bcast(&mismatch, 1, MPI_INT, first_differing, MPI_COMM_WORLD), "MPI_Bcast");
  if (mismatch == shape) throw_shape_error("broadcast_parameters", message);
  throw_invalid_argument("broadcast_parameters", message);
}

}  // namespace

template <class Scalar>
void broadcast_parameters(const NamedTensors<Scalar>& parameters, int root) {
  check_same_parameters(parameters, root);
  for (const auto& [name, tensor] : parameters)
    check(MPI_Bcast(tensor.value().data(), mpi_count(tensor.numel(), "parameter '" + name + "'"), mpi_type<Scalar>(),
                    root, MPI_COMM_WORLD),
          "MPI_Bcast");
}

void broadcast_parameters(const nn::Module& model, int root) { broadcast_parameters(model.named_parameters(), root); }

void broadcast_optimizer_state(optim::OptimizerBase& optimizer, int root) {
  std::string bytes = this_rank() == root ? optimizer.state_dict().to_bytes("optimizer") : std::string();
  broadcast_bytes(bytes, root);
  if (this_rank() != root)
    optimizer.load_state_dict(io::Archive::from_bytes(bytes, "optimizer", "rank " + std::to_string(root)));
}

void broadcast_generator(Generator& generator, int root) {
  std::string state = generator.state();
  broadcast_bytes(state, root);
  generator.set_state(state);
}

template void broadcast_parameters(const NamedTensors<float>&, int);
template void broadcast_parameters(const NamedTensors<double>&, int);

}  // namespace xg::distributed
