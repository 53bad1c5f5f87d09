"""Work queues: the store-backed embedded queue and kombu over AMQP."""
