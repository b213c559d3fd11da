#pragma once
// Everything of the nn layer: modules, layers, losses, metrics, initialisation.

#include <xgrad/nn/activation.hpp>
#include <xgrad/nn/batch_norm.hpp>
#include <xgrad/nn/conv.hpp>
#include <xgrad/nn/dropout.hpp>
#include <xgrad/nn/embedding.hpp>
#include <xgrad/nn/embedding_bag.hpp>
#include <xgrad/nn/flatten.hpp>
#include <xgrad/nn/functional/dropout.hpp>
#include <xgrad/nn/functional/linear.hpp>
#include <xgrad/nn/functional/loss.hpp>
#include <xgrad/nn/identity.hpp>
#include <xgrad/nn/init.hpp>
#include <xgrad/nn/layer_norm.hpp>
#include <xgrad/nn/linear.hpp>
#include <xgrad/nn/loss.hpp>
#include <xgrad/nn/metrics.hpp>
#include <xgrad/nn/module.hpp>
#include <xgrad/nn/pooling.hpp>
#include <xgrad/nn/sequential.hpp>
