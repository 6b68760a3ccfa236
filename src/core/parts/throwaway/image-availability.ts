import { messageOf } from '../../model/errors.ts';

/**
 * Why Docker cannot run `image`: undefined when the engine has it or pulls it now, else the
 * pull's error (an offline laptop, a registry that needs a login or is not reachable).
 * Loads testcontainers, so ask only once a container is the choice.
 */
export async function imageUnavailable(image: string): Promise<string | undefined> {
  const { ImageName, getContainerRuntimeClient } = await import('testcontainers');
  try {
    const client = await getContainerRuntimeClient();
    const name = ImageName.fromString(image);
    if (await client.image.exists(name)) return undefined;
    await client.image.pull(name);
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}
