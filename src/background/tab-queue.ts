// Events of one tab are handled one after another, in the order they came: the storage writes of
// one event never interleave with another's reads.

export type InTabOrder = <T>(tabId: number, step: () => Promise<T>) => Promise<T>

export function tabQueue (): InTabOrder {
  const queues = new Map<number, Promise<unknown>>()
  return <T>(tabId: number, step: () => Promise<T>): Promise<T> => {
    const next = (queues.get(tabId) ?? Promise.resolve()).then(step, step)
    const settled = next.catch(() => undefined)
    queues.set(tabId, settled)
    // A closed tab's queue does not stay behind once it has drained.
    void settled.then(() => { if (queues.get(tabId) === settled) queues.delete(tabId) })
    return next
  }
}
