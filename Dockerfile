# Multi-stage build: a static binary in a minimal image, run as non-root.
# Time zone data is compiled into the binary (time/tzdata) and also copied
# here for anything else that looks in /usr/share/zoneinfo.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.Version=${VERSION}" -o /out/confbot ./cmd/confbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /out/confbot /usr/local/bin/confbot
ENV TZ=Asia/Ho_Chi_Minh HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/confbot"]
CMD ["serve"]
