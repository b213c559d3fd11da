#pragma once
// Everything in xg::datasets: bundled data sets, splits, scaling, batching
// and text vectorization.

#include <xgrad/datasets/bag_of_words.hpp>
#include <xgrad/datasets/batch_loader.hpp>
#include <xgrad/datasets/csr_data_loader.hpp>
#include <xgrad/datasets/csv.hpp>
#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/data_files.hpp>
#include <xgrad/datasets/data_loader.hpp>
#include <xgrad/datasets/dataset.hpp>
#include <xgrad/datasets/loaders.hpp>
#include <xgrad/datasets/shuffle.hpp>
#include <xgrad/datasets/split.hpp>
#include <xgrad/datasets/standard_scaler.hpp>
#include <xgrad/datasets/target_data_loader.hpp>
#include <xgrad/datasets/tokenizer.hpp>
#include <xgrad/datasets/vocabulary.hpp>
