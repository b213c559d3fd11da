#pragma once
// Every learning-rate schedule, as torch.optim.lr_scheduler has them.

#include <xgrad/optim/schedulers/chained_scheduler.hpp>
#include <xgrad/optim/schedulers/closed_form_lr.hpp>
#include <xgrad/optim/schedulers/cyclic_lr.hpp>
#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/multiplicative_lr.hpp>
#include <xgrad/optim/schedulers/one_cycle_lr.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>
#include <xgrad/optim/schedulers/reduce_lr_on_plateau.hpp>
#include <xgrad/optim/schedulers/scheduler_base.hpp>
#include <xgrad/optim/schedulers/sequential_lr.hpp>
#include <xgrad/optim/schedulers/swalr.hpp>
#include <xgrad/optim/schedulers/wsd.hpp>
