import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The security scheme every REST operation names. */
export const API_KEY_SCHEME = 'api-key';

export const OPEN_API_PATH = 'api/docs';

/**
 * The OpenAPI document and Swagger UI: UI at /api/docs, document at /api/docs-json. Both are open
 * (no key): they describe the API, hold no data, and "Authorize" in the UI is where a key is typed.
 * Call after the app is created, before it listens.
 */
export function setUpOpenApi(nest: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Doflamingo gateway')
    .setDescription(
      'Kafka and ZooKeeper monitoring. State endpoints answer from the latest live values; /api/v1/series answers from ClickHouse history. ' +
        'Every call needs an API key (GATEWAY_API_KEYS): `Authorization: Bearer <key>`, `X-API-Key: <key>`, or `?access_token=<key>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of GATEWAY_API_KEYS.' }, API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(nest, config);
  SwaggerModule.setup(OPEN_API_PATH, nest, document, { jsonDocumentUrl: `${OPEN_API_PATH}-json` });
}
