#!/usr/bin/env python3
"""PyTorch's side of the torch round trip (tests/interop/torch_round_trip.sh):
torch.nn.Sequential(Linear(64, 64), Tanh(), Linear(64, 10)) and its logits on
a fixed batch, exchanged with xgrad as safetensors (written and read here with
json and struct, from the format in huggingface/safetensors README.md: the
safetensors package is not in Debian) and .npy (numpy.save / numpy.load).

  torch_check.py write DIR   torch_model.safetensors, batch.npy and torch_logits.npy
  torch_check.py check DIR   loads xgrad_model.safetensors into the torch model and
                             compares its logits on batch.npy with xgrad_logits.npy
"""
import json
import struct
import sys

import numpy
import torch


def model():
    return torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 10))


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        values = numpy.frombuffer(body[begin:end], dtype="<f4").reshape(entry["shape"])
        out[name] = torch.from_numpy(values.copy())
    return out


def main():
    mode, work = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    net = model()
    if mode == "write":
        batch = torch.randn(5, 64)
        write_safetensors(f"{work}/torch_model.safetensors", net.state_dict())
        numpy.save(f"{work}/batch.npy", batch.numpy())
        numpy.save(f"{work}/torch_logits.npy", net(batch).detach().numpy())
    elif mode == "check":
        net.load_state_dict(read_safetensors(f"{work}/xgrad_model.safetensors"), strict=True)
        batch = torch.from_numpy(numpy.load(f"{work}/batch.npy"))
        ours = net(batch).detach().numpy()
        theirs = numpy.load(f"{work}/xgrad_logits.npy")
        difference = float(numpy.max(numpy.abs(ours - theirs)))
        print(f"torch on xgrad's weights: largest logit difference {difference:.3g}")
        if difference > 1e-5:
            sys.exit(1)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
