package dev.ferry.controller.store;

/**
 * One object a write puts or removes: created (old null), updated, or deleted (new null). A
 * store commits a write's changes together and reports each model change as one
 * {@link ModelEvent}.
 */
record Change<T>(Resource<T> resource, String id, T oldValue, T newValue) {

  boolean deletes() {
    return newValue == null;
  }

  /** Puts the new value into the cache, or takes the old one out. */
  void apply(ModelCache cache) {
    if (deletes()) {
      resource.remove(cache, oldValue);
    } else {
      resource.put(cache, newValue);
    }
  }

  /** Puts the cache back as it was before {@link #apply}. */
  void undo(ModelCache cache) {
    if (newValue != null) {
      resource.remove(cache, newValue);
    }
    if (oldValue != null) {
      resource.put(cache, oldValue);
    }
  }

  ModelEvent event(long version) {
    return new ModelEvent(resource.event, id, oldValue, newValue, version);
  }
}
