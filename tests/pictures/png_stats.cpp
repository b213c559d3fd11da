// Prints what the render check needs to know about a PNG: its size, the share
// of pixels that are not the page's white, and how many distinct colours it
// holds. A blank or single-colour render fails the check; a real chart has
// ink on a few percent of its pixels and dozens of colours (antialiasing).
//   png_stats FILE.png  ->  "width=900 height=600 ink=0.0712 colours=1834"
#include <png.h>

#include <cstdint>
#include <cstdio>
#include <unordered_set>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: png_stats FILE.png\n");
    return 2;
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, argv[1])) {
    std::fprintf(stderr, "png_stats: %s: %s\n", argv[1], image.message);
    return 1;
  }
  image.format = PNG_FORMAT_RGBA;
  std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    std::fprintf(stderr, "png_stats: %s: %s\n", argv[1], image.message);
    return 1;
  }
  std::size_t ink = 0;
  std::unordered_set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 3 < pixels.size(); i += 4) {
    const std::uint32_t rgb = pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2];
    colours.insert(rgb);
    if (rgb != 0xffffff) ++ink;
  }
  const double total = static_cast<double>(image.width) * image.height;
  std::printf("width=%u height=%u ink=%.4f colours=%zu\n", image.width, image.height, ink / total, colours.size());
}
