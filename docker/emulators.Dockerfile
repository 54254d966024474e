# The kit's own emulators as a container (Textract with offline OCR, CloudSearch), for the `containers` target.
FROM node:20.20.2-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY bench ./bench
EXPOSE 4566
ENTRYPOINT ["node", "bin/octember.mjs"]
