# The GPU trainer worker: `paraphrase worker` with the CUDA build of LibTorch, one job per container (the Container Apps
# job's executions; infra/modules/trainer.bicep adds the queue, storage and device options).
# Build from the repository root: docker build -f infra/docker/worker.Dockerfile -t paraphrase-worker .
# (azd builds it in the registry: azure.yaml, service "worker").

# Build: the CLI for linux-x64, framework-dependent, with LibTorch from TorchSharp-cuda-linux (-p:LibTorchBackend=cuda,
# Directory.Build.props) and ONNX Runtime's CPU build, which is all the exporter needs to verify its files.
# Ubuntu 24.04's libstdc++ is new enough for TorchSharp, so the Debian 12 compat patch (eng/libstdcxx-compat) stays off.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY data/vocab/ data/vocab/
COPY src/ src/
RUN dotnet publish src/Paraphrase.Cli/Paraphrase.Cli.csproj -c Release -r linux-x64 --self-contained false \
      -p:LibTorchBackend=cuda -p:OnnxRuntimeBackend=cpu -p:DisableLibStdCxxCompat=true -o /out/paraphrase \
    && test -e /out/paraphrase/libtorch_cuda.so

# The .NET and ASP.NET Core runtimes (the CLI's host library uses Kestrel), copied into the CUDA image below.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS dotnet

# Runtime: NVIDIA's CUDA base image (the CUDA runtime and the driver hooks; the GPU driver itself comes from the host).
# LibTorch's CUDA package brings its own cuBLAS, cuDNN and NCCL, so the larger "runtime" flavour would only duplicate them.
FROM nvidia/cuda:12.8.1-base-ubuntu24.04
ARG DEBIAN_FRONTEND=noninteractive
# What .NET needs on Ubuntu 24.04 beyond the base image: certificates for TLS to Azure, ICU, OpenSSL, time zones.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
COPY --from=build /out/paraphrase /opt/paraphrase
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && ln -s /opt/paraphrase/paraphrase /usr/local/bin/paraphrase \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin paraphrase
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_CLI_TELEMETRY_OPTOUT=1

# Scratch space (staged base model, token shards, checkpoints) goes to --data, by default .paraphrase/ under the home.
USER 10001
WORKDIR /home/paraphrase
ENTRYPOINT ["paraphrase", "worker", "--max-jobs", "1"]
