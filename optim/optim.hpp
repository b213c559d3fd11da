#pragma once
// Every optimizer: #include <xgrad/optim/optim.hpp>

#include <xgrad/optim/adadelta.hpp>
#include <xgrad/optim/adagrad.hpp>
#include <xgrad/optim/adam.hpp>
#include <xgrad/optim/adamax.hpp>
#include <xgrad/optim/adamw.hpp>
#include <xgrad/optim/adamw_schedule_free.hpp>
#include <xgrad/optim/averaged_model.hpp>
#include <xgrad/optim/lookahead.hpp>
#include <xgrad/optim/nadam.hpp>
#include <xgrad/optim/option_range.hpp>
#include <xgrad/optim/optimizer.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/param_group.hpp>
#include <xgrad/optim/param_state.hpp>
#include <xgrad/optim/radam.hpp>
#include <xgrad/optim/rmsprop.hpp>
#include <xgrad/optim/schedule_free.hpp>
#include <xgrad/optim/sgd.hpp>
#include <xgrad/optim/sgd_schedule_free.hpp>
