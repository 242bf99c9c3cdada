# lurecheck bot + webhook server + staff app. Build: docker build -t lurecheck .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PTB_TIMEDELTA=1 \
    LURECHECK_DATA_DIR=/data
WORKDIR /app

# Screenshot reading (Tesseract + every language's data, zbar); the list is the one
# scripts/system-packages.sh installs for development.
COPY scripts/system-packages.sh scripts/system-packages.tested scripts/
RUN scripts/system-packages.sh --runtime && rm -rf /var/lib/apt/lists/*

# Exactly the locked runtime dependencies, hash-checked (requirements.txt, scripts/lock.sh).
COPY requirements.txt requirements.txt
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements.txt

# The project runs from /app (python -m bot), not installed: the image holds the lock and nothing else.
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY screening screening
COPY storage storage
COPY review review
COPY emulator emulator
COPY locales locales
COPY scripts scripts
RUN pybabel compile -d locales -D messages

RUN useradd --system --home /data lurecheck && mkdir -p /data && chown lurecheck /data
USER lurecheck
EXPOSE 8080
CMD ["sh", "-c", "python -m bot migrate && python -m bot run"]
