import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';

/**
 * Why Docker cannot run `image`: undefined when the engine has it or pulls it now, else the
 * pull's error (an offline laptop, a registry that needs a login or is not reachable).
 * Loads testcontainers, so ask only once a container is the choice. A pull can take a while:
 * it is said first.
 */
export async function imageUnavailable(image: string, logger: Logger): Promise<string | undefined> {
  const { ImageName, getContainerRuntimeClient } = await import('testcontainers');
  try {
    const client = await getContainerRuntimeClient();
    const name = ImageName.fromString(image);
    if (await client.image.exists(name)) return undefined;
    logger.info(`pulling image ${image}...`);
    await client.image.pull(name);
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}
