#pragma once
// The MPI datatype of a tensor's scalar type, for the collectives that move
// values (broadcast, all-reduce, all-gather).

#include <mpi.h>

namespace xg::distributed::detail {

template <class Scalar>
MPI_Datatype mpi_type() {
  return sizeof(Scalar) == sizeof(float) ? MPI_FLOAT : MPI_DOUBLE;
}

}  // namespace xg::distributed::detail
