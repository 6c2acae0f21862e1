// SMS thread view of a KaiOS 3.0 Preact app written in TSX.
import { h, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

interface Message {
  id: number;
  body: string;
  delivery: 'sent' | 'received';
}

type Props = { threadId: number; onOpen?: (id: number) => void };

const cache = new Map<number, Message[]>();

export const SmsThread: FunctionComponent<Props> = ({ threadId, onOpen }: Props) => {
  const [messages, setMessages] = useState<Message[]>([]);

  useEffect(() => {
    const manager = (navigator as any).mozMobileMessage;
    const cursor = manager.getMessages({ threadId }, false);
    const found: Message[] = [];
    cursor.onsuccess = function (this: any) {
      if (this.result) {
        found.push(this.result as Message);
        this.continue();
      } else {
        cache.set(threadId, found);
        setMessages(found);
      }
    };
    fetch(`http://sms-backup.example.com/threads/${threadId}`, { method: 'POST' });
  }, [threadId]);

  const generic = <T,>(items: T[]): T | undefined => items[0];

  return (
    <ul class="thread" onClick={() => onOpen?.(threadId)}>
      {messages.map((message) => (
        <li key={message.id} class={message.delivery}>
          {message.body!}
        </li>
      ))}
      <li>{generic<string>(['first']) ?? <em>empty</em>}</li>
    </ul>
  );
};
