# Finds xgrad's dependencies (all Debian packages) and, when one is missing,
# stops with the exact apt-get line that installs it.

set(XGRAD_APT_HINT "run: bash third_party/install-deps.sh  (or: apt-get install")

macro(xgrad_require_package name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR
      "xgrad needs ${name}, which was not found.\n"
      "Install it with: apt-get install ${debian_package}\n"
      "(or run bash third_party/install-deps.sh, which installs every missing dependency)")
  endif()
endmacro()

xgrad_require_package(xtl xtl-dev)
xgrad_require_package(xsimd libxsimd-dev)
xgrad_require_package(xtensor libxtensor-dev)
xgrad_require_package(xtensor-blas libxtensor-blas-dev)
# The safetensors header parser; used only inside the library's .cpp files,
# so an installed xgrad's users do not need it.
xgrad_require_package(nlohmann_json nlohmann-json3-dev 3)

set(BLA_VENDOR OpenBLAS)
find_package(BLAS QUIET)
if(NOT BLAS_FOUND)
  message(FATAL_ERROR "xgrad needs OpenBLAS, which was not found.\n"
    "Install it with: apt-get install libopenblas-dev")
endif()
find_path(XGRAD_CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES x86_64-linux-gnu/openblas-pthread openblas)
if(NOT XGRAD_CBLAS_INCLUDE_DIR)
  message(FATAL_ERROR "xgrad needs cblas.h from OpenBLAS.\n"
    "Install it with: apt-get install libopenblas-dev")
endif()

# Open MPI is optional: without it the library builds as before and the
# distributed/ part (xgrad::distributed) and its tests are left out.
# Only MPI's C API is used, from C++: the deprecated C++ bindings are skipped.
set(MPI_CXX_SKIP_MPICXX ON)
find_package(MPI QUIET COMPONENTS CXX)
set(XGRAD_WITH_MPI ${MPI_CXX_FOUND})
if(XGRAD_WITH_MPI)
  message(STATUS "xgrad: MPI ${MPI_CXX_VERSION} found, building distributed/ (xgrad::distributed)")
else()
  message(STATUS "xgrad: MPI not found, distributed/ not built (apt-get install libopenmpi-dev openmpi-bin)")
endif()
