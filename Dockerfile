# lurecheck bot + webhook server + staff app. Build: docker build -t lurecheck .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PTB_TIMEDELTA=1 \
    LURECHECK_DATA_DIR=/data
WORKDIR /app

# Screenshot reading (Tesseract + every language's data, zbar); the list is the one
# scripts/system-packages.sh installs for development.
COPY scripts/system-packages.sh scripts/system-packages.sh
RUN scripts/system-packages.sh --runtime && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY screening screening
COPY storage storage
COPY review review
COPY emulator emulator
COPY locales locales
COPY scripts scripts
RUN pip install --no-cache-dir . && pybabel compile -d locales -D messages

RUN useradd --system --home /data lurecheck && mkdir -p /data && chown lurecheck /data
USER lurecheck
EXPOSE 8080
CMD ["sh", "-c", "python -m bot migrate && python -m bot run"]
