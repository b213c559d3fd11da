#pragma once
// Data-parallel training over MPI (target xgrad::distributed, built when
// Open MPI is found): #include <xgrad/distributed/distributed.hpp>.

#include <xgrad/distributed/all_reduce_gradients.hpp>
#include <xgrad/distributed/broadcast.hpp>
#include <xgrad/distributed/distributed_data_parallel.hpp>
#include <xgrad/distributed/environment.hpp>
