#pragma once
// The data sets bundled in datasets/data (provenance and licences in
// datasets/data/README.md). Each loader looks for its file as find_data_file
// does, in `directory` first. A missing file throws a DataError naming every
// place looked; a malformed one a DataError "<file>:<line>: <what>".

#include <string>
#include <string_view>

#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

// Fisher's Iris: 150 flowers x 4 measurements (cm), classes setosa,
// versicolor, virginica (50 each). File iris.csv.
Dataset load_iris(const std::string& directory = {});
// Handwritten digits: 1797 images of 8x8 pixel counts 0..16 (row by row),
// classes "0".."9". File digits.csv.
Dataset load_digits(const std::string& directory = {});
// Sentiment Labelled Sentences: 3000 sentences, classes negative/positive,
// 1000 from each source (amazon, imdb, yelp). File sentiment_sentences.tsv.
TextDataset load_sentiment(const std::string& directory = {});

// The parsers behind the loaders, on a file's content; `file` names it in
// errors. They accept any bytes: the work is linear in the content's size,
// and anything that is not the format throws a DataError. Blank lines are
// skipped, "\r\n" line ends and a UTF-8 byte order mark are accepted.
//
// iris: header "<rows>,<features>,<class name>..." then rows of features and
// a label < number of class names; the row count must match the header.
Dataset parse_iris_csv(std::string_view content, const std::string& file);
// digits: no header; rows of 64 integer pixel counts 0..16 and a label 0..9.
Dataset parse_digits_csv(std::string_view content, const std::string& file);
// sentiment: header "source\tlabel\ttext" then rows of a non-empty source, a
// label 0 (negative) or 1 (positive) and the text, tab-separated.
TextDataset parse_sentiment_tsv(std::string_view content, const std::string& file);

}  // namespace xg::datasets
